"""Tables of Russian text → the amounts `find_quantities` reads in it."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from letopis.annotate.quantities import Quantity, find_quantities


def only(text):
    found = find_quantities(text)
    assert len(found) == 1, [q.text for q in found]
    q = found[0]
    assert text[q.span[0]:q.span[1]] == q.text
    return q


@pytest.mark.parametrize("text, span, low, high", [
    # digits, thousand separators, decimals, scale words
    ("В акции участвовали 2 265 человек", "2 265", 2265, 2265),
    ("собрали 20 000 подписей", "20 000", 20000, 20000),
    ("на склад привезли 1.500 одеял", "1.500", 1500, 1500),
    ("в регионе живут 30 тысяч беженцев", "30 тысяч", 30000, 30000),
    ("бюджет проекта — 1,2 млн", "1,2 млн", 1200000, 1200000),
    ("задержали 2-х подозреваемых", "2-х", 2, 2),
    # number words in any case and gender
    ("пришли пять тысяч горожан", "пять тысяч", 5000, 5000),
    ("из десяти тысяч заявок", "десяти тысяч", 10000, 10000),
    ("у двух пострадавших", "двух", 2, 2),
    ("около двадцати пяти машин", "около двадцати пяти", 25, 25),
    ("сто сорок депутатов", "сто сорок", 140, 140),
    ("две тысячи пятьсот солдат", "две тысячи пятьсот", 2500, 2500),
    ("полтора миллиона зрителей", "полтора миллиона", 1500000, 1500000),
    # ranges
    ("от 300 до 400 раненых", "от 300 до 400", 300, 400),
    ("300–400 раненых", "300–400", 300, 400),
    ("20-30 тысяч участников", "20-30 тысяч", 20000, 30000),
    ("от пяти до десяти человек", "от пяти до десяти", 5, 10),
    # bounds
    ("погибли не менее 150 человек", "не менее 150", 150, None),
    ("речь идет о не более, чем 12 жертвах", "не более, чем 12", None, 12),
    ("их стало меньше 40 тысяч", "меньше 40 тысяч", None, 40000),
    ("погибли более 70 человек", "более 70", 70, None),
    ("пострадали свыше 500 жителей", "свыше 500", 500, None),
    ("собралось почти 200 человек", "почти 200", None, 200),
    ("задержаны до 600 человек", "до 600", None, 600),
    ("как минимум 9 жертв", "как минимум 9", 9, None),
    ("было 50 с лишним машин", "50 с лишним", 50, None),
    ("около тысячи солдат", "около тысячи", 1000, 1000),
    ("число погибших выросло до 225", "225", 225, 225),      # "до" after a verb of change is not a bound
    ("более сотни задержанных", "более сотни", 100, None),
    # vague words
    ("ранены несколько человек", "несколько", 2, 9),
    ("погибли десятки людей", "десятки", 20, 99),
    ("вышли сотни жителей", "сотни", 200, 999),
    ("задержаны тысячи", "тысячи", 2000, 9999),
    ("протестовали десятки тысяч", "десятки тысяч", 20000, 99999),
    ("после гибели нескольких сотен солдат", "нескольких сотен", 200, 999),
    # collective numerals
    ("оба водителя погибли", "оба", 2, 2),
    ("обе женщины ранены", "обе", 2, 2),
    ("двое рабочих пропали", "двое", 2, 2),
    ("трое военных", "трое", 3, 3),
    ("пятеро задержанных", "пятеро", 5, 5),
])
def test_quantities_counts(text, span, low, high):
    q = only(text)
    assert (q.text, q.low, q.high, q.kind) == (span, low, high, "count")


@pytest.mark.parametrize("text, approx, vague", [
    ("около 60 человек", True, False),
    ("примерно 1,5 тысячи человек", True, False),
    ("почти 200 человек", True, False),
    ("ровно 60 человек", False, False),
    ("десятки человек", False, True),
])
def test_quantities_flags(text, approx, vague):
    q = only(text)
    assert (q.approx, q.vague) == (approx, vague)


@pytest.mark.parametrize("text, span, kind, low", [
    ("инфляция составила 8%.", "8%", "percent", 8),
    ("поддержали 45 процентов опрошенных", "45 процентов", "percent", 45),
    ("штраф в 300 долларов", "300 долларов", "money", 300),
    ("ущерб оценили в 2 млн сомов", "2 млн сомов", "money", 2000000),
    ("выплатили $50", "$50", "money", 50),
    ("цены выросли в три раза", "в три раза", "multiplier", 3),
    ("тарифы подняли вдвое", "вдвое", "multiplier", 2),
    ("на 2-й день", "2-й", "ordinal", 2),
    ("первый заместитель", "первый", "ordinal", 1),
])
def test_quantities_other_kinds(text, span, kind, low):
    q = only(text)
    assert (q.text, q.kind, q.low) == (span, kind, low)


@pytest.mark.parametrize("text", [
    "3 марта в городе прошел митинг",
    "по итогам 2019 года",
    "в 2015 году",
    "начало в 22.30, конец в 23:15",
    "в ночь с 7 на 8 мая",
    "с 1 по 3 июня",
    "16.12.2011 вышел указ",
    "2011-12-16",
    "15-летний подросток",
    "его 7-тилетняя дочь",
    "13-ти летний мальчик",
    "Телеканал «1+1» показал сюжет",
    "истребитель Су-25 и вирус COVID-19",
    "по части 2 статьи 212 УК",
    "№ 5",
    "ни одного доказательства",
    "видео: 0540",
    "[подробнее](http://example.com/news/2022-01-05-1234)",
    "(1984)",
])
def test_quantities_not_amounts(text):
    assert find_quantities(text) == []


def test_quantities_json_round_trip():
    q = only("около 50 человек")
    assert Quantity.from_json(q.to_json()) == q
    assert q.to_json()["rule"] == "bound:около+digits"


def group(n: int) -> str:
    s = str(n)
    return " ".join(s[max(i - 3, 0):i] for i in range(len(s), 0, -3)[::-1])


@given(st.integers(min_value=1, max_value=9_999_999).filter(lambda n: not 1800 <= n <= 2100))
def test_quantities_grouped_digits(n):
    text = f"пострадали {group(n)} человек"
    q = only(text)
    assert (q.low, q.high, q.kind) == (n, n, "count")


@given(st.text(alphabet="0123456789 .,-–:абвгдеёжзийклмнопрстуфхцчшщъыьэюя«»()%$+", max_size=60))
def test_quantities_spans_are_text(text):
    for q in find_quantities(text):
        assert text[q.span[0]:q.span[1]] == q.text
        assert q.low is None or q.high is None or q.low <= q.high
