"""Consultant settings: the JSON file round-trips, and a bad value falls back to its default."""

from __future__ import annotations

import json

import pytest

from vciso.settings import AppSettings, load_settings, save_settings


def test_paper_size_round_trips_into_the_branding(tmp_path):
    path = tmp_path / "settings.json"
    save_settings(AppSettings(firm_name="Northwind", paper_size="Letter"), path)
    loaded = load_settings(path)
    assert loaded.paper_size == "Letter"
    assert loaded.branding().paper_size == "Letter"
    assert load_settings(tmp_path / "missing.json").branding().paper_size == "A4"


@pytest.mark.parametrize("value", ["B5", "", 42, None, ["Letter"], {"size": "Letter"}])
def test_a_malformed_paper_size_falls_back_to_a4_and_keeps_the_other_settings(tmp_path, value):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"consultant": "Jane Consultant", "paper_size": value}), encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.paper_size == "A4"
    assert loaded.consultant == "Jane Consultant"
    assert loaded.branding().paper_size == "A4"


def test_paper_size_is_read_whatever_its_case(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"paper_size": " letter "}), encoding="utf-8")
    assert load_settings(path).paper_size == "Letter"
