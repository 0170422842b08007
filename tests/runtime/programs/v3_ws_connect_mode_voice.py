# source: https://github.com/cartesia-ai/cartesia-python/blob/v3.0.2/examples/async_examples.py (tts_websocket_basic_async)
# shape: 3.x websocket_connect() with a raw generation event carrying voice={"mode": "id", ...}
# expect-file: ws.pcm = raw:Hello, world!
import asyncio
import os

from cartesia import AsyncCartesia


async def tts_websocket_basic_async(client: AsyncCartesia) -> None:
    """Async WebSocket usage with websocket_connect()."""
    async with client.tts.websocket_connect() as connection:
        await connection.send({
            "model_id": "sonic-3",
            "transcript": "Hello, world!",
            "voice": {"mode": "id", "id": "6ccbfb76-1fc6-48f7-b71d-91ac6298247b"},
            "output_format": {"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100},
        })
        with open("ws.pcm", "wb") as f:
            async for response in connection:
                if response.type == "chunk" and response.audio:
                    f.write(response.audio)
                elif response.type == "done":
                    break


asyncio.run(tts_websocket_basic_async(AsyncCartesia(api_key=os.environ["CARTESIA_API_KEY"])))
