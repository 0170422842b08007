"""Print command N (1-based) of the README's Quick start fenced block."""
import re
import sys

text = open("README.md", encoding="utf-8").read()
section = text.split("## Quick start", 1)[1]
block = re.search(r"```(?:bash|sh|console)?\n(.*?)```", section, re.S).group(1)
cmds = [line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]
if len(cmds) != 2:
    sys.exit("README Quick start must hold exactly two commands, found %d" % len(cmds))
print(cmds[int(sys.argv[1]) - 1])
