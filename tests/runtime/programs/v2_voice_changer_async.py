# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/reference.md (AsyncCartesia client.voice_changer.bytes: "async for chunk in ...")
# shape: 2.x async voice_changer.bytes(): `async for chunk in client.voice_changer.bytes(...)`
# expect-file: changed.wav = vc:a0e99841-438c-4a64-b679-ae501e7d6091:wav:22050
import asyncio
import os

from cartesia import AsyncCartesia


async def main():
    client = AsyncCartesia(api_key=os.environ["CARTESIA_API_KEY"])
    with open("clip.wav", "rb") as clip, open("changed.wav", "wb") as out:
        async for chunk in client.voice_changer.bytes(
            clip=clip,
            voice_id="a0e99841-438c-4a64-b679-ae501e7d6091",
            output_format_container="wav",
            output_format_sample_rate=22050,
            output_format_encoding="pcm_s16le",
        ):
            out.write(chunk)


asyncio.run(main())
