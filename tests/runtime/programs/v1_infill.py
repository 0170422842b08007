# source: https://github.com/cartesia-ai/cartesia-python/blob/v1.4.0/cartesia/tts.py (TTS.infill: left_audio_path/right_audio_path, returns (infill_audio, total_audio))
# shape: 1.x tts.infill(left_audio_path=..., right_audio_path=..., voice_id=...) unpacked into (infill, total)
# expect-file: infill.wav = wav:44100:and then we went home
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ.get("CARTESIA_API_KEY"))

infill_audio, total_audio = client.tts.infill(
    model_id="sonic-english",
    language="en",
    transcript="and then we went home",
    voice_id="a0e99841-438c-4a64-b679-ae501e7d6091",
    output_format={"container": "wav", "encoding": "pcm_f32le", "sample_rate": 44100},
    left_audio_path="left.wav",
    right_audio_path="right.wav",
)
with open("infill.wav", "wb") as f:
    f.write(infill_audio)
