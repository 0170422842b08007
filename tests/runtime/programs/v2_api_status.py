# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/reference.md (client.api_status.get)
# shape: 2.x client.api_status.get() -> ApiInfo(ok, version)
# expect-stdout: ok True
# expect-request: GET /
from cartesia import Cartesia
import os

client = Cartesia(
    api_key=os.environ["CARTESIA_API_KEY"],
)
status = client.api_status.get()
print("ok", status.ok)
