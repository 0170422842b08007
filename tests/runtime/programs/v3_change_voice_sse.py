# source: https://github.com/cartesia-ai/cartesia-python/blob/v3.0.2/src/cartesia/resources/voice_changer.py (VoiceChangerResource.change_voice_sse) and api.md
# shape: 3.0 voice_changer.change_voice_sse(...) loop reading chunk.data on every event until done
# expect-file: changed.raw = vc:6ccbfb76-1fc6-48f7-b71d-91ac6298247b:raw:16000
import base64
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
audio = bytearray()
with open("clip.wav", "rb") as clip:
    for chunk in client.voice_changer.change_voice_sse(
        clip=clip,
        voice_id="6ccbfb76-1fc6-48f7-b71d-91ac6298247b",
        output_format_container="raw",
        output_format_sample_rate=16000,
        output_format_encoding="pcm_s16le",
    ):
        if chunk.done:
            break
        audio += base64.b64decode(chunk.data)
with open("changed.raw", "wb") as f:
    f.write(audio)
