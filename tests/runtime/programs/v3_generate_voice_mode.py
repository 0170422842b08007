# source: https://github.com/cartesia-ai/cartesia-python/blob/v3.0.2/examples/async_examples.py (tts_generate_async) and https://github.com/cartesia-ai/cartesia-python/blob/v4.0.1/MIGRATING.md ("Voice specifier")
# shape: 3.x generate() with voice={"mode": "id", "id": ...}, awaited write_to_file
# expect-file: output_async.wav = wav:44100:Hello, world!
import asyncio
import os

from cartesia import AsyncCartesia


async def tts_generate_async(client: AsyncCartesia) -> None:
    """Async TTS generation to file."""
    response = await client.tts.generate(
        model_id="sonic-3",
        transcript="Hello, world!",
        voice={"mode": "id", "id": "6ccbfb76-1fc6-48f7-b71d-91ac6298247b"},
        output_format={"container": "wav", "encoding": "pcm_f32le", "sample_rate": 44100},
    )
    await response.write_to_file("output_async.wav")
    print("Saved audio to output_async.wav")


asyncio.run(tts_generate_async(AsyncCartesia(api_key=os.environ["CARTESIA_API_KEY"])))
