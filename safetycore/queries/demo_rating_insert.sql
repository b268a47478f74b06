-- A demo area rating.
INSERT INTO area_ratings VALUES ($group, $week, $rating, $comment, 'Trygghetssamordnare', $at)
