"""Tables dateline curates (actors, places, time words, line model, schemas): data a user can read and extend."""
