# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/reference.md (client.auth.access_token, AsyncCartesia: "await client.auth.access_token(...)")
# shape: 2.x `await client.auth.access_token(grants=..., expires_in=...)` on AsyncCartesia
# expect-stdout-re: ^token: tok_[0-9a-f]{32}$
import asyncio
import os

from cartesia import AsyncCartesia

client = AsyncCartesia(api_key=os.environ["CARTESIA_API_KEY"])


async def main() -> None:
    response = await client.auth.access_token(grants={"tts": True}, expires_in=600)
    print(f"token: {response.token}")


asyncio.run(main())
