# source: https://github.com/cartesia-ai/cartesia-python/blob/v1.4.0/tests/test_tts.py (test_async_websocket_send shape) and README.md ("Async Client", WebSocket)
# shape: 1.x `ws = await client.tts.websocket()`; `async for output in await ws.send(..., stream=True)`: output["audio"]; `await ws.close()`
# expect-file: output.raw = raw:Async sockets, first edition.
import asyncio
import os

from cartesia import AsyncCartesia


async def main():
    client = AsyncCartesia(api_key=os.environ.get("CARTESIA_API_KEY"))
    ws = await client.tts.websocket()
    with open("output.raw", "wb") as f:
        async for output in await ws.send(
            model_id="sonic-english",
            transcript="Async sockets, first edition.",
            voice_id="a0e99841-438c-4a64-b679-ae501e7d6091",
            output_format={"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100},
            stream=True,
        ):
            f.write(output["audio"])
    await ws.close()
    await client.close()


asyncio.run(main())
