# source: https://github.com/cartesia-ai/cartesia-python/blob/v3.0.2/examples/async_examples.py (tts_bytes_async)
# shape: 3.x `response = await client.tts.bytes(...)`; `async for chunk in response`
# expect-file: output_bytes_async.wav = wav:44100:Hello, world!
import asyncio
import os

from cartesia import AsyncCartesia


async def tts_bytes_async(client: AsyncCartesia) -> None:
    """Async bytes iterator."""
    response = await client.tts.bytes(  # pyright: ignore[reportDeprecated]
        model_id="sonic-3",
        transcript="Hello, world!",
        voice={"mode": "id", "id": "6ccbfb76-1fc6-48f7-b71d-91ac6298247b"},
        output_format={"container": "wav", "encoding": "pcm_f32le", "sample_rate": 44100},
    )
    filename = "output_bytes_async.wav"
    with open(filename, "wb") as f:
        async for chunk in response:
            f.write(chunk)
    print(f"Saved audio to {filename}")


asyncio.run(tts_bytes_async(AsyncCartesia(api_key=os.environ["CARTESIA_API_KEY"])))
