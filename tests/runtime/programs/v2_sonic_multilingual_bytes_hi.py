# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/reference.md (client.tts.bytes: language) and the 1.x MULTILINGUAL_MODEL_ID https://github.com/cartesia-ai/cartesia-python/blob/v1.4.0/cartesia/_constants.py
# shape: 2.x tts.bytes with a discontinued multilingual model and a Hindi transcript
# expect-file: namaste.wav = wav:44100:Namaste duniya
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
with open("namaste.wav", "wb") as f:
    for chunk in client.tts.bytes(
        model_id="sonic-multilingual",
        transcript="Namaste duniya",
        voice={"mode": "id", "id": "a0e99841-438c-4a64-b679-ae501e7d6091"},
        language="hi",
        output_format={"container": "wav", "encoding": "pcm_f32le", "sample_rate": 44100},
    ):
        f.write(chunk)
