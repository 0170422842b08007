# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/tests/custom/test_client.py (test_sse_async) and https://github.com/cartesia-ai/cartesia-python/blob/v4.0.1/MIGRATING.md ("TTS SSE", v2.x loop)
# shape: 2.x `async for event in client.tts.sse(...)` (an async generator, not awaited), event.type tests, base64.b64decode(event.data)
# expect-file: output.raw = raw:Async server-sent events.
import asyncio
import base64
import os

from cartesia import AsyncCartesia


async def main() -> None:
    client = AsyncCartesia(api_key=os.environ["CARTESIA_API_KEY"])
    chunks = []
    async for event in client.tts.sse(
        model_id="sonic-2",
        transcript="Async server-sent events.",
        voice={"mode": "id", "id": "f9836c6e-a0bd-460e-9d3c-f7299fa60f94"},
        output_format={"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100},
    ):
        if event.type == "chunk":
            chunks.append(base64.b64decode(event.data))
        elif event.type == "done":
            break
    with open("output.raw", "wb") as f:
        f.write(b"".join(chunks))


asyncio.run(main())
