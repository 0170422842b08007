# source: https://github.com/cartesia-ai/cartesia-python/blob/v1.4.0/README.md ("Server-Sent Events (SSE)")
# shape: 1.x voices.get() dict, voice_embedding=voice["embedding"], sse(stream=True), output["audio"]; pyaudio playback replaced by a file
# expect-file: output.raw = raw:Hello! Welcome to Cartesia
from cartesia import Cartesia
import os

client = Cartesia(api_key=os.environ.get("CARTESIA_API_KEY"))
voice_id = "a0e99841-438c-4a64-b679-ae501e7d6091"
voice = client.voices.get(id=voice_id)

transcript = "Hello! Welcome to Cartesia"

# You can check out our models at https://docs.cartesia.ai/getting-started/available-models
model_id = "sonic-english"

output_format = {
    "container": "raw",
    "encoding": "pcm_f32le",
    "sample_rate": 44100,
}

with open("output.raw", "wb") as stream:
    # Generate and stream audio
    for output in client.tts.sse(
        model_id=model_id,
        transcript=transcript,
        voice_embedding=voice["embedding"],
        stream=True,
        output_format=output_format,
    ):
        buffer = output["audio"]

        # Write the audio data to the stream
        stream.write(buffer)
