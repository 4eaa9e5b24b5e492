"""Convert a NovelAI prompt to A1111 syntax and see how Animagine will read it.

NovelAI writes emphasis with braces (each ``{}`` x1.05, each ``[]`` /1.05); A1111, Forge and
this package write ``(tag:1.1025)``. The conversion keeps each weight and says what A1111
cannot express.

Run: ``python examples/convert_novelai.py``
"""

from animagine_prompt import convert, parse

NOVELAI = "{{masterpiece}}, best quality, 1girl, {silver hair}, [[blurry]], hu tao (genshin impact)"


def main() -> None:
    result = convert(NOVELAI, "novelai", "a1111")
    print("a1111:", result.text)
    for note in result.notes:
        print("note:", note.message)
    for tag in parse(result.text).tags():
        print(f"  {tag.weight:6.4f}  {tag.text}")


if __name__ == "__main__":
    main()
