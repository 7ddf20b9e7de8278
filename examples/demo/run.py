"""Exercises the demo extension and says what happened."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import demo  # noqa: E402

binary = getattr(demo, "__file__", "?")
print("Python %d.%d, demo loaded from %s" % (sys.version_info[:2] + (os.path.basename(binary),)))
print("  add(2, 40) =", demo.add(2, 40))
print("  add('hp', 'y') =", repr(demo.add("hp", "y")))
print("  checked_div(17, 5) =", demo.checked_div(17, 5))
try:
    demo.checked_div(1, 0)
except ValueError as e:
    print("  checked_div(1, 0) raised ValueError:", e)
print("  apply_twice(lambda x: x * 3, 7) =", demo.apply_twice(lambda x: x * 3, 7))
print("  describe([1, 2]) =", demo.describe([1, 2]))
