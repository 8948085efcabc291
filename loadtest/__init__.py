"""The exam spike (`make spike`): Locust students against the production process layout."""
