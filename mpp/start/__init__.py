"""Staff start pages: what each role is for and a link to every page it may see (ADR 0030).

A page that composes every app, so it sits above them beside `mpp.urls` (the wiring layer of
ADR 0026): it asks each owner's access helper whether a link is open to the user and never
decides access itself; no app imports it."""
