# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/tests/custom/test_client.py (test_sse_async)
# shape: 2.x AsyncCartesia: `async for response in client.tts.sse(...)` (an async generator, not awaited), base64.b64decode(response.data)
# expect-file: output.raw = raw:Hello, world! I'm generating audio on Cartesia.
import asyncio
import base64
import os

from cartesia import AsyncCartesia

DEFAULT_MODEL_ID = "sonic-2"
SAMPLE_VOICE_ID = "f9836c6e-a0bd-460e-9d3c-f7299fa60f94"
DEFAULT_OUTPUT_FORMAT_PARAMS = {"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100}


async def send_sse_request(client, transcript):
    output_generate = client.tts.sse(
        transcript=transcript,
        voice={"mode": "id", "id": SAMPLE_VOICE_ID},
        output_format=DEFAULT_OUTPUT_FORMAT_PARAMS,
        model_id=DEFAULT_MODEL_ID,
    )

    chunks = []
    async for response in output_generate:
        audio_bytes = base64.b64decode(response.data)
        chunks.append(audio_bytes)

    return b"".join(chunks)


async def main():
    async_client = AsyncCartesia(api_key=os.environ["CARTESIA_API_KEY"])
    data = await send_sse_request(async_client, "Hello, world! I'm generating audio on Cartesia.")
    with open("output.raw", "wb") as f:
        f.write(data)
    await async_client.close()


asyncio.run(main())
