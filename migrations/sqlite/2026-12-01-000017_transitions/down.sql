DROP TABLE checkins;
DROP TABLE transitions;
