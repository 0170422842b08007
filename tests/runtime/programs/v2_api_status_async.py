# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/reference.md (client.api_status.get, AsyncCartesia)
# shape: 2.x `await client.api_status.get()` on AsyncCartesia
# expect-stdout: API ok, version 2026-08-14
import asyncio
import os

from cartesia import AsyncCartesia


async def main() -> None:
    client = AsyncCartesia(api_key=os.environ["CARTESIA_API_KEY"])
    info = await client.api_status.get()
    print(f"API {'ok' if info.ok else 'down'}, version {info.version}")


asyncio.run(main())
