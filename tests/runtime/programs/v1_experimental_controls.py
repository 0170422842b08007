# source: https://github.com/cartesia-ai/cartesia-python/blob/v1.4.0/README.md ("Speed and Emotion Control [Alpha]")
# shape: 1.x _experimental_voice_controls= on tts.bytes (no 4.x equivalent keyword)
# expect-file: slow.wav = wav:44100:Hello, world! I'm generating audio on Cartesia.
from cartesia import Cartesia
import os

client = Cartesia(api_key=os.environ.get("CARTESIA_API_KEY"))

data = client.tts.bytes(
    model_id="sonic-english",
    transcript="Hello, world! I'm generating audio on Cartesia.",
    voice_id="a0e99841-438c-4a64-b679-ae501e7d6091",
    output_format={"container": "wav", "encoding": "pcm_f32le", "sample_rate": 44100},
    _experimental_voice_controls={"speed": "slow", "emotion": ["positivity:highest", "curiosity"]},
)
with open("slow.wav", "wb") as f:
    f.write(data)
