# source: https://github.com/cartesia-ai/cartesia-python/blob/v1.4.0/README.md ("Timestamps")
# shape: 1.x ws.send(..., stream=False, add_timestamps=True) returned a dict: response['word_timestamps']['words']
# expect-stdout: Word: Hello, Start: 0.0, End: 0.2
# expect-stdout: Word: there, Start: 0.25, End: 0.45
from cartesia import Cartesia
import os

client = Cartesia(api_key=os.environ.get("CARTESIA_API_KEY"))
ws = client.tts.websocket()

voice_id = "a0e99841-438c-4a64-b679-ae501e7d6091"
model_id = "sonic-english"
transcript = "Hello there"
output_format = {"container": "raw", "encoding": "pcm_f32le", "sample_rate": 44100}

response = ws.send(
    model_id=model_id,
    transcript=transcript,
    voice_id=voice_id,
    output_format=output_format,
    stream=False,
    add_timestamps=True
)

# Accessing the word_timestamps object
word_timestamps = response['word_timestamps']

words = word_timestamps['words']
start_times = word_timestamps['start']
end_times = word_timestamps['end']

for word, start, end in zip(words, start_times, end_times):
    print(f"Word: {word}, Start: {start}, End: {end}")

ws.close()
