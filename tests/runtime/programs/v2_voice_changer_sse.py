# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/reference.md (client.voice_changer.sse: "for chunk in response")
# shape: 2.x voice_changer.sse loop testing chunk.type and decoding chunk.data
# expect-file: changed.raw = vc:694f9389-aac1-45b6-b726-9d9369183238:raw:44100
import base64
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
with open("clip.wav", "rb") as clip:
    response = client.voice_changer.sse(
        clip=clip,
        voice_id="694f9389-aac1-45b6-b726-9d9369183238",
        output_format_container="raw",
        output_format_sample_rate=44100,
        output_format_encoding="pcm_f32le",
    )
    audio = b""
    for chunk in response:
        if chunk.type == "chunk":
            audio += base64.b64decode(chunk.data)
        elif chunk.type == "done":
            break
with open("changed.raw", "wb") as f:
    f.write(audio)
