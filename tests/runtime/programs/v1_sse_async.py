# source: https://github.com/cartesia-ai/cartesia-python/blob/v1.4.0/README.md ("Async Client", SSE) and tests/test_tts.py (test_sse_send_concurrent)
# shape: 1.x AsyncCartesia: `async for output in await client.tts.sse(..., stream=True)`, output["audio"]
# expect-file: output.raw = raw:Hello! Welcome to Cartesia
from cartesia import AsyncCartesia
import asyncio
import os


async def write_stream():
    client = AsyncCartesia(api_key=os.environ.get("CARTESIA_API_KEY"))
    voice_id = "a0e99841-438c-4a64-b679-ae501e7d6091"
    transcript = "Hello! Welcome to Cartesia"
    model_id = "sonic-english"

    output_format = {
        "container": "raw",
        "encoding": "pcm_f32le",
        "sample_rate": 44100,
    }

    with open("output.raw", "wb") as stream:
        # Generate and stream audio
        async for output in await client.tts.sse(
            model_id=model_id,
            transcript=transcript,
            voice_id=voice_id,
            stream=True,
            output_format=output_format,
        ):
            buffer = output["audio"]
            stream.write(buffer)

    await client.close()


asyncio.run(write_stream())
