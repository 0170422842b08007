# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/reference.md (client.voice_changer.sse, AsyncCartesia: "async for chunk in response")
# shape: 2.x async voice_changer.sse(...) (an async generator), loop testing chunk.type and decoding chunk.data
# expect-file: changed.raw = vc:694f9389-aac1-45b6-b726-9d9369183238:raw:44100
import asyncio
import base64
import os

from cartesia import AsyncCartesia


async def main() -> None:
    client = AsyncCartesia(api_key=os.environ["CARTESIA_API_KEY"])
    audio = bytearray()
    with open("clip.wav", "rb") as clip:
        async for chunk in client.voice_changer.sse(
            clip=clip,
            voice_id="694f9389-aac1-45b6-b726-9d9369183238",
            output_format_container="raw",
            output_format_sample_rate=44100,
            output_format_encoding="pcm_f32le",
        ):
            if chunk.type == "chunk":
                audio.extend(base64.b64decode(chunk.data))
    with open("changed.raw", "wb") as f:
        f.write(audio)


asyncio.run(main())
