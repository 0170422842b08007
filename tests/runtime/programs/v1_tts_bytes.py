# source: https://github.com/cartesia-ai/cartesia-python/blob/v1.4.0/README.md ("Text-to-Speech", bytes)
# shape: 1.x tts.bytes() returned all the audio as bytes; voice_id=; model sonic-english
# expect-file: output.wav = wav:44100:Hello, world! I'm generating audio on Cartesia.
# expect-request: POST /tts/bytes voice=a0e99841-438c-4a64-b679-ae501e7d6091
from cartesia import Cartesia
import os

client = Cartesia(api_key=os.environ.get("CARTESIA_API_KEY"))

data = client.tts.bytes(
    model_id="sonic-english",
    transcript="Hello, world! I'm generating audio on Cartesia.",
    voice_id="a0e99841-438c-4a64-b679-ae501e7d6091",  # Barbershop Man
    # You can find the supported `output_format`s at https://docs.cartesia.ai/api-reference/tts/bytes
    output_format={
        "container": "wav",
        "encoding": "pcm_f32le",
        "sample_rate": 44100,
    },
)

with open("output.wav", "wb") as f:
    f.write(data)
