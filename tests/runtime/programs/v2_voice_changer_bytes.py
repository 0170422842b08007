# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/reference.md (client.voice_changer.bytes)
# shape: 2.x voice_changer.bytes() iterator of chunks joined with b"".join
# expect-file: changed.wav = vc:694f9389-aac1-45b6-b726-9d9369183238:wav:44100
from cartesia import Cartesia
import os

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
with open("clip.wav", "rb") as clip:
    audio = b"".join(client.voice_changer.bytes(
        clip=clip,
        voice_id="694f9389-aac1-45b6-b726-9d9369183238",
        output_format_container="wav",
        output_format_sample_rate=44100,
        output_format_encoding="pcm_f32le",
    ))
with open("changed.wav", "wb") as f:
    f.write(audio)
