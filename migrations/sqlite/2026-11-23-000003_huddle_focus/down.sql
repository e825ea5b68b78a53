DROP TABLE huddle_focus;
