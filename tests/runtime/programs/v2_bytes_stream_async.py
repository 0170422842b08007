# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/README.md ("Async Client": `async for chunk in bytes_iter`)
# shape: 2.x AsyncCartesia tts.bytes() consumed as a stream: the first chunk is used before the rest arrives
# expect-file: stream.raw = raw:Answer while the model still talks.
# expect-streaming: first chunk played
import asyncio
import os

from cartesia import AsyncCartesia


async def main():
    client = AsyncCartesia(api_key=os.environ["CARTESIA_API_KEY"])
    played = False
    with open("stream.raw", "wb") as f:
        async for chunk in client.tts.bytes(
            model_id="sonic-2",
            transcript="Answer while the model still talks.",
            voice={"mode": "id", "id": "f9836c6e-a0bd-460e-9d3c-f7299fa60f94"},
            output_format={"container": "raw", "encoding": "pcm_s16le", "sample_rate": 16000},
        ):
            if not played:
                print("first chunk played")
                played = True
            f.write(chunk)


asyncio.run(main())
