DROP TABLE goal_progress;
DROP TABLE plan_goals;
DROP TABLE support_plans;
