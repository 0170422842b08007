# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/README.md ("WebSocket")
# shape: 2.x ws.send(stream=True) loop writing `output.audio` for every output (pyaudio stream.write replaced by a file)
# expect-file: output.raw = raw:Hello! Welcome to Cartesia
from cartesia import Cartesia
import os

client = Cartesia(api_key=os.getenv("CARTESIA_API_KEY"))
voice_id = "a0e99841-438c-4a64-b679-ae501e7d6091"
transcript = "Hello! Welcome to Cartesia"

rate = 22050

# Set up the websocket connection
ws = client.tts.websocket()

with open("output.raw", "wb") as stream:
    # Generate and stream audio using the websocket
    for output in ws.send(
        model_id="sonic-3",  # see: https://docs.cartesia.ai/build-with-cartesia/tts-models
        transcript=transcript,
        voice={"mode": "id", "id": voice_id},
        stream=True,
        output_format={
            "container": "raw",
            "encoding": "pcm_f32le",
            "sample_rate": rate
        },
    ):
        buffer = output.audio

        # Write the audio data to the stream
        stream.write(buffer)

ws.close()  # Close the websocket connection
