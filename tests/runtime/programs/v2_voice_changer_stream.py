# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/reference.md (client.voice_changer.bytes: an iterator of chunks)
# shape: 2.x voice_changer.bytes() chunks forwarded as they arrive
# expect-file: changed.raw = vc:694f9389-aac1-45b6-b726-9d9369183238:raw:16000
# expect-streaming: forwarding audio
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
forwarding = False
with open("clip.wav", "rb") as clip, open("changed.raw", "wb") as out:
    for chunk in client.voice_changer.bytes(
        clip=clip,
        voice_id="694f9389-aac1-45b6-b726-9d9369183238",
        output_format_container="raw",
        output_format_sample_rate=16000,
        output_format_encoding="pcm_s16le",
    ):
        if not forwarding:
            print("forwarding audio")
            forwarding = True
        out.write(chunk)
