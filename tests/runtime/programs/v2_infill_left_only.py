# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/tests/custom/test_client.py (test_infill_sync, "only left audio") and reference.md (client.infill.bytes)
# shape: 2.x infill.bytes(left_audio=f, right_audio=None): 2.x skipped None
# expect-file: tail.wav = wav:44100:and that is all
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])

with open("left.wav", "rb") as f:
    audio = b"".join(
        client.infill.bytes(
            model_id="sonic-2",
            language="en",
            transcript="and that is all",
            voice_id="694f9389-aac1-45b6-b726-9d9369183238",
            output_format_container="wav",
            output_format_sample_rate=44100,
            output_format_encoding="pcm_f32le",
            left_audio=f,
            right_audio=None,
        )
    )
with open("tail.wav", "wb") as out:
    out.write(audio)
