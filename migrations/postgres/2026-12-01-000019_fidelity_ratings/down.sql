DROP TABLE fidelity_ratings;
