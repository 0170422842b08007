# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/reference.md (client.voices.list: is_starred)
# shape: 2.x voices.list(is_starred=True)
# expect-stdout-re: ^starred: \d+$
import os

from cartesia import Cartesia

client = Cartesia(api_key=os.environ["CARTESIA_API_KEY"])
starred = [voice.name for voice in client.voices.list(is_starred=True)]
print(f"starred: {len(starred)}")
