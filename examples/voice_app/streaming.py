"""Raw WebSocket streaming without the SDK."""
import json

import websockets

WS_URL = "ws://api.cartesia.ai/tts/websocket"


async def stream(text: str, voice_id: str):
    async with websockets.connect(f"{WS_URL}?cartesia_version=2026-03-01") as ws:
        await ws.send(json.dumps({
            "model_id": "sonic",
            "transcript": text,
            "voice": {"mode": "id", "id": voice_id},
            "output_format": {"container": "raw", "encoding": "pcm_s16le", "sample_rate": 16000},
        }))
        async for message in ws:
            yield json.loads(message)
