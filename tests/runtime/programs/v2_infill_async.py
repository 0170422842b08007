# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/reference.md (client.infill.bytes, AsyncCartesia: "async for chunk in ...")
# shape: 2.x async infill.bytes(...) async iterator of chunks
# expect-file: infill.wav = wav:24000:right in the middle
import asyncio
import os

from cartesia import AsyncCartesia


async def main() -> None:
    client = AsyncCartesia(api_key=os.environ["CARTESIA_API_KEY"])
    with open("left.wav", "rb") as left, open("right.wav", "rb") as right, open("infill.wav", "wb") as out:
        async for chunk in client.infill.bytes(
            left_audio=left,
            right_audio=right,
            model_id="sonic-2",
            language="en",
            transcript="right in the middle",
            voice_id="694f9389-aac1-45b6-b726-9d9369183238",
            output_format_container="wav",
            output_format_sample_rate=24000,
            output_format_encoding="pcm_s16le",
        ):
            out.write(chunk)


asyncio.run(main())
