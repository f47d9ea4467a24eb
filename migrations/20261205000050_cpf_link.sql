-- A CPF-eligible training's page on Mon Compte Formation, when the centre
-- gives it: the public page links to it so a candidate can enrol with CPF.
ALTER TABLE trainings ADD COLUMN cpf_link TEXT NOT NULL DEFAULT ''
    CHECK (cpf_link = '' OR (length(cpf_link) <= 500 AND cpf_link LIKE 'https://www.moncompteformation.gouv.fr/%'));
