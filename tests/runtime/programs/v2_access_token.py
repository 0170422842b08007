# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/reference.md (client.auth.access_token)
# shape: 2.x client.auth.access_token(grants=..., expires_in=...).token
# expect-stdout-re: ^token: tok_[0-9a-f]{32}$
# expect-request: POST /access-token expires_in=60
from cartesia import Cartesia
import os

client = Cartesia(
    api_key=os.environ["CARTESIA_API_KEY"],
)
response = client.auth.access_token(
    grants={"stt": True},
    expires_in=60,
)
print(f"token: {response.token}")
