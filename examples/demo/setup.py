from setuptools import setup, Extension

setup(
    name="hpy-rs-demo",
    hpy_ext_modules=[Extension("demo", sources=["demo.c"])],
    setup_requires=["hpy"],
)
