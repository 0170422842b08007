# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/README.md ("Async Client")
# shape: 2.x AsyncCartesia tts.bytes() async iterator: `async for chunk in bytes_iter`
# expect-file: sonic.wav = wav:44100:Hello, world!
import asyncio
from cartesia import AsyncCartesia
import os

client = AsyncCartesia(
    api_key=os.environ["CARTESIA_API_KEY"],
)


async def main():
    with open("sonic.wav", "wb") as f:
        bytes_iter = client.tts.bytes(
            model_id="sonic-3",
            transcript="Hello, world!",
            voice={
                "mode": "id",
                "id": "6ccbfb76-1fc6-48f7-b71d-91ac6298247b",
            },
            language="en",
            output_format={
                "container": "wav",
                "sample_rate": 44100,
                "encoding": "pcm_f32le",
            },
        )

        async for chunk in bytes_iter:
            f.write(chunk)


if __name__ == "__main__":
    asyncio.run(main())
