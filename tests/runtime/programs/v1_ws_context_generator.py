# source: https://github.com/cartesia-ai/cartesia-python/blob/v1.4.0/README.md ("Input Streaming with Contexts", sync, text generator)
# shape: 1.x ctx = ws.context(); ctx.send(transcript=<generator>) returns an iterator of dicts: output["audio"]
# expect-file: output.raw = raw:The crew engaged in a range of activities. |raw:Aside from growing vegetables, they faced delays. |raw:
from cartesia import Cartesia
import os

client = Cartesia(api_key=os.environ.get("CARTESIA_API_KEY"))

transcripts = [
    "The crew engaged in a range of activities.",
    "Aside from growing vegetables, they faced delays. ",
]


# Ending each transcript with a space makes the audio smoother
def chunk_generator(transcripts):
    for transcript in transcripts:
        if transcript.endswith(" "):
            yield transcript
        else:
            yield transcript + " "


voice_id = "87748186-23bb-4158-a1eb-332911b0b708"
model_id = "sonic-english"
output_format = {
    "container": "raw",
    "encoding": "pcm_f32le",
    "sample_rate": 44100,
}

# Set up the websocket connection
ws = client.tts.websocket()

# Create a context to send and receive audio
ctx = ws.context()  # Generates a random context ID if not provided

# Pass in a text generator to generate & stream the audio
output_stream = ctx.send(
    model_id=model_id,
    transcript=chunk_generator(transcripts),
    voice_id=voice_id,
    output_format=output_format,
)

with open("output.raw", "wb") as stream:
    for output in output_stream:
        buffer = output["audio"]
        stream.write(buffer)

ws.close()  # Close the websocket connection
