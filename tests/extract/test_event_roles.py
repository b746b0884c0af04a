"""Actors and targets of events: one Russian sentence per construction → the exact noun groups expected."""
from __future__ import annotations

import pytest

from letopis.annotate.nlp import Annotator
from letopis.annotate.times import find_times
from letopis.extract.event_roles import find_roles, lexicon
from letopis.extract.events import find_events, needs_parse
from letopis.ingest.document import PartialDate


@pytest.fixture(scope="session")
def annotator():
    return Annotator(parse=needs_parse)


def roles(annotator, text, trigger=None):
    events = find_events(text, annotator(text), find_times(text, PartialDate(2022, 1)))
    if trigger is not None:
        events = [e for e in events if e.trigger == trigger]
    assert len(events) == 1, [(e.trigger, e.type) for e in events]
    ev = events[0]
    for name, span in ev.actors + ev.targets:
        assert text[span[0]:span[1]] == name or "pronoun" in ev.rule, (name, span)
    return [n for n, _ in ev.actors], [n for n, _ in ev.targets], ev.rule


# text, the trigger (when the sentence holds more than one event), actors, targets
CASES = [
    # subject and object, the preposition left out of the group
    ("Силовики открыли огонь по мирным демонстрантам в Жанатасе.", None, ["Силовики"], ["мирным демонстрантам"]),
    ("Полиция разогнала митинг бастующих шахтеров.", None, ["Полиция"], ["митинг бастующих шахтеров"]),
    ("Министр обороны отверг обвинения правозащитников.", None, ["Министр обороны"], ["обвинения правозащитников"]),
    ("Неизвестные избили двух журналистов в Махачкале.", None, ["Неизвестные"], ["двух журналистов"]),
    ("Губернатор уволил начальника областной полиции.", None, ["Губернатор"], ["начальника областной полиции"]),
    # the passive: the subject is the target, the instrumental the actor
    ("Активисты оппозиции были задержаны полицией у здания суда.", None, ["полицией"], ["Активисты оппозиции"]),
    ("В Балхаше задержаны более 200 шахтеров.", None, [], ["более 200 шахтеров"]),
    ("В Балхаше задержаны более 200 человек.", None, [], []),          # a bare count: the figures keep it
    ("Журналист был избит сотрудниками частной охраны.", None, ["сотрудниками частной охраны"], ["Журналист"]),
    ("Акции протеста осуждались лидерами соседних стран.", None, ["лидерами соседних стран"], ["Акции протеста"]),
    # the dead and the wounded are targets, whoever fired
    ("При стрельбе в торговом центре погибли два охранника.", None, [], ["два охранника"]),
    ("При стрельбе в торговом центре погибли четыре человека.", None, [], []),   # a count: the figures keep it
    ("При обстреле Донецка пострадали трое полицейских.", None, [], ["трое полицейских"]),
    # a quantity is a target where it suffers ("пятеро рабочих"), an actor where it acts ("около трехсот человек")
    ("Пятеро рабочих завода арестованы на десять суток.", None, [], ["Пятеро рабочих завода"]),
    ("Около трехсот пенсионеров провели пикет у здания мэрии.", None, ["Около трехсот пенсионеров"], []),
    ("Большинство жителей села от переселения отказываются.", None, ["Большинство жителей села"], []),
    # no actor: an occurrence verb, a place, the trigger's own noun
    ("В Караганде прошел митинг против повышения цен.", None, [], []),
    ("Протесты охватили западные регионы страны.", None, [], []),
    ("В Актобе задержали трех активистов.", None, [], ["трех активистов"]),
    # a support verb with an actor; the genitive of a trigger noun
    ("Жители поселка вышли на акцию протеста против закрытия шахты.", None, ["Жители поселка"], []),
    ("Митинг сторонников оппозиции прошел в центре Тбилиси.", None, ["сторонников оппозиции"], []),
    ("Задержание известного блогера вызвало протесты.", "Задержание", [], ["известного блогера"]),
    ("Отставка правительства стала неожиданностью.", None, ["правительства"], []),
    # a state named by its country or capital acts; a town does not
    ("Казахстан закрыл границу с Кыргызстаном.", None, ["Казахстан"], []),
    ("Россия направила в Армению две тысячи миротворцев.", None, ["Россия"], []),
    # pronouns: relative → antecedent, personal → the last person named, others → no one
    ("Полиция задержала студентов, которые бастовали у ректората.", "бастовали", ["студентов"], []),
    ("Груз отправлен по просьбе кабинета министров Таджикистана, который обратился к соседям.", "обратился",
     ["кабинета министров Таджикистана"], ["соседям"]),
    ("Хирург Иван Петров вышел на пикет. Вечером его задержали.", "задержали", [], ["Иван Петров"]),
    ("Кто стрелял в демонстрантов, до сих пор неизвестно.", None, [], ["демонстрантов"]),
    # a conjunct, an infinitive, an adverbial participle borrow the subject
    ("Омоновцы окружили площадь и задержали лидеров забастовки.", "задержали", ["Омоновцы"], ["лидеров забастовки"]),
    ("Сотрудники полиции начали вытеснять людей с площади.", None, ["Сотрудники полиции"], ["людей"]),
    ("Полиция начала задержания участников шествия.", None, ["Полиция"], ["участников шествия"]),
    ("Министр приказал полиции задержать зачинщиков беспорядков.", "задержать", ["полиции"],
     ["зачинщиков беспорядков"]),
    ("Депутаты призвали правительство уйти в отставку.", "призвали", ["Депутаты"], ["правительство"]),
    # a dative or a preposition of the category's table names the target when it names someone
    ("Премьер обратился к странам ОДКБ с просьбой о помощи.", None, ["Премьер"], ["странам ОДКБ"]),
    ("Волонтеры оказали помощь пострадавшим жителям.", None, ["Волонтеры"], ["пострадавшим жителям"]),
    ("Мэр запретил жителям выходить на улицы после 22 часов.", None, ["Мэр"], ["жителям"]),
    # names and conjuncts; quotes and brackets stay balanced
    ("Глава компании «Казмунайгаз» (КМГ) Алик Айдарбаев подал в отставку.", None,
     ["Глава компании «Казмунайгаз» (КМГ) Алик Айдарбаев"], []),
    ("Россия и Беларусь направили в Казахстан военнослужащих.", None, ["Россия", "Беларусь"], []),
    ("Оппозиционный депутат Верховной Рады Олег Ляшко раскритиковал решение правительства.", None,
     ["Оппозиционный депутат Верховной Рады Олег Ляшко"], ["решение правительства"]),          # a name stays whole
    ("Премьер обратился к Организации Договора о коллективной безопасности с просьбой о помощи.", None,
     ["Премьер"], ["Организации Договора о коллективной безопасности"]),
    ("Кабинет министров Армении 12.05.2022 приостановил строительство рудника.", None,   # no date in the group
     ["Кабинет министров Армении"], []),
    ("По данным МВД, в Минске задержаны не менее 300 студентов.", None, [], ["не менее 300 студентов"]),
    ("Выходцы из Жанаозена провели акцию в Алматы 5 января.", None, ["Выходцы из Жанаозена"], []),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0][:40] for c in CASES])
def test_event_roles_construction(annotator, case):
    text, trigger, actors, targets = case
    got_actors, got_targets, rule = roles(annotator, text, trigger)
    assert (got_actors, got_targets) == (actors, targets), rule


def test_event_roles_rule_says_which_fired(annotator):
    _, _, rule = roles(annotator, "Активисты были задержаны полицией.")
    assert "actor: passive agent" in rule and "target: passive subject" in rule


def test_event_roles_lexicon_is_complete():
    lex = lexicon()
    assert lex.relative and lex.personal and lex.agent_nouns and lex.occurrence_verbs
    assert not lex.agent_nouns & lex.quantity_nouns - {"группа"}


def test_event_roles_unparsed_sentence_takes_a_named_subject():
    """Without a tree: a person or organisation in the nominative right before the trigger, nothing else."""
    text = "Министерство обороны Армении задержало двух солдат."
    analysis = Annotator(parse=False)(text)
    from letopis.extract.event_geometry import geometry
    from letopis.extract.events import lexicon as triggers
    geo = geometry(analysis, triggers().heads)
    idx = tuple(i for i, t in enumerate(geo[0].sent.tokens) if t.lemma == "задержать")
    actors, targets = find_roles(geo, 0, idx, None, "COERCE", text, analysis.mentions)
    assert [r.name for r in actors] in ([], ["Министерство обороны Армении"]) and targets == ()
