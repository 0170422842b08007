# source: https://github.com/cartesia-ai/cartesia-python/blob/v1.4.0/tests/test_tts.py (test_bytes_async shape) and README.md ("Async Client")
# shape: 1.x `data = await client.tts.bytes(...)` returned all the audio
# expect-file: async.wav = wav:44100:Async bytes from the first SDK.
import asyncio
import os

from cartesia import AsyncCartesia


async def main():
    client = AsyncCartesia(api_key=os.environ.get("CARTESIA_API_KEY"))
    data = await client.tts.bytes(
        model_id="sonic-english",
        transcript="Async bytes from the first SDK.",
        voice_id="a0e99841-438c-4a64-b679-ae501e7d6091",
        output_format={"container": "wav", "encoding": "pcm_f32le", "sample_rate": 44100},
    )
    with open("async.wav", "wb") as f:
        f.write(data)
    await client.close()


asyncio.run(main())
