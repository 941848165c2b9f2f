"""Braille and audio copies of a consultation's letter and questionnaire, made by the service itself.

`document` says what a copy contains (from the same definition as the paper pack), `braille` and
`audio` make the files with the operating system's tools, which `tools` finds (or explains the absence of).
"""
