# source: https://github.com/cartesia-ai/cartesia-python/blob/v4.0.1/MIGRATING.md ("Infill API", v2.x)
# shape: 2.x `infill_audio, total_audio = client.tts.infill(left_audio_path=..., right_audio_path=..., voice={"mode": "id", ...})`
# expect-file: infill.wav = wav:44100:Infill text
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])

infill_audio, total_audio = client.tts.infill(
    model_id="sonic-3",
    language="en",
    transcript="Infill text",
    left_audio_path="left.wav",
    right_audio_path="right.wav",
    voice={"mode": "id", "id": "6ccbfb76-1fc6-48f7-b71d-91ac6298247b"},
    output_format={"container": "wav", "encoding": "pcm_f32le", "sample_rate": 44100},
)
with open("infill.wav", "wb") as f:
    f.write(infill_audio)
