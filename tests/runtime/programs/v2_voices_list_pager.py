# source: https://github.com/cartesia-ai/cartesia-python/blob/2.0.17/reference.md (client.voices.list: "for item in response", "response.iter_pages()")
# shape: 2.x SyncPager iterated item by item and page by page (page.items)
# expect-stdout: Barbershop Man
# expect-stdout: Southern Woman
# expect-stdout: paged: 6 voices
from cartesia import Cartesia
import os

client = Cartesia(api_key=os.getenv("CARTESIA_API_KEY"))

response = client.voices.list(limit=4)
for item in response:
    print(item.name)
# alternatively, you can paginate page-by-page
names = []
for page in response.iter_pages():
    names.extend(voice.name for voice in page.items)
print(f"paged: {len(names)} voices")
