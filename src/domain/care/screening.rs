//! Screening against the three SMI tests and the high-need indicators (API.md, "The care
//! cycle"): a recommendation with each reason in words. Pure: the store records the answers
//! and the result; a decision against the recommendation needs a reason.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Diagnosis {
    SchizophreniaSpectrum,
    Bipolar,
    MajorDepressionPsychotic,
    MajorDepression,
    OtherPsychotic,
    Personality,
    SubstanceUseOnly,
    Developmental,
    Organic,
    Other,
}

impl Diagnosis {
    pub const ALL: [Diagnosis; 10] = [
        Diagnosis::SchizophreniaSpectrum,
        Diagnosis::Bipolar,
        Diagnosis::MajorDepressionPsychotic,
        Diagnosis::MajorDepression,
        Diagnosis::OtherPsychotic,
        Diagnosis::Personality,
        Diagnosis::SubstanceUseOnly,
        Diagnosis::Developmental,
        Diagnosis::Organic,
        Diagnosis::Other,
    ];

    /// The contract's default qualifying diagnoses; a team may narrow them.
    pub const DEFAULT_QUALIFYING: [Diagnosis; 5] = [
        Diagnosis::SchizophreniaSpectrum,
        Diagnosis::Bipolar,
        Diagnosis::MajorDepressionPsychotic,
        Diagnosis::OtherPsychotic,
        Diagnosis::Personality,
    ];

    /// In words, for reasons shown to the team.
    pub fn words(self) -> &'static str {
        match self {
            Diagnosis::SchizophreniaSpectrum => "a schizophrenia-spectrum disorder",
            Diagnosis::Bipolar => "bipolar disorder",
            Diagnosis::MajorDepressionPsychotic => "major depression with psychotic features",
            Diagnosis::MajorDepression => "major depression without psychotic features",
            Diagnosis::OtherPsychotic => "another psychotic disorder",
            Diagnosis::Personality => "a personality disorder",
            Diagnosis::SubstanceUseOnly => "a substance use disorder alone",
            Diagnosis::Developmental => "a developmental disability",
            Diagnosis::Organic => "an organic (neurocognitive) disorder",
            Diagnosis::Other => "another diagnosis",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Impairment {
    SelfCare,
    DailyLiving,
    Work,
    Housing,
    Social,
    Safety,
    Finances,
    Legal,
}

impl Impairment {
    pub fn words(self) -> &'static str {
        match self {
            Impairment::SelfCare => "self-care",
            Impairment::DailyLiving => "daily living",
            Impairment::Work => "work",
            Impairment::Housing => "housing",
            Impairment::Social => "social functioning",
            Impairment::Safety => "safety",
            Impairment::Finances => "finances",
            Impairment::Legal => "legal matters",
        }
    }
}

/// What the screener recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ScreeningAnswers {
    pub diagnosis: Diagnosis,
    pub illness_years: u32,
    pub impairments: Vec<Impairment>,
    pub psychiatric_admissions_12m: u32,
    pub hospital_days_24m: u32,
    pub ed_visits_12m: u32,
    pub homeless: bool,
    pub justice_involved: bool,
    pub co_occurring_sud: bool,
    pub not_engaging_office: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Recommendation {
    Act,
    Icm,
    Standard,
    ReferElsewhere,
}

impl Recommendation {
    pub fn as_str(self) -> &'static str {
        match self {
            Recommendation::Act => "act",
            Recommendation::Icm => "icm",
            Recommendation::Standard => "standard",
            Recommendation::ReferElsewhere => "refer_elsewhere",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ScreeningResult {
    pub smi: bool,
    pub smi_reasons: Vec<String>,
    pub high_need: bool,
    pub high_need_reasons: Vec<String>,
    pub recommendation: Recommendation,
    pub explanation: String,
}

/// Hospital days over two years at or above which a person is high need: about four days a
/// month (the seeds: intensive case management helps most above this line).
pub const HIGH_NEED_HOSPITAL_DAYS_24M: u32 = 96;
pub const HIGH_NEED_ADMISSIONS_12M: u32 = 2;
pub const HIGH_NEED_ED_VISITS_12M: u32 = 4;
pub const SMI_MIN_ILLNESS_YEARS: u32 = 2;

/// Which team the recommendation names when the person is SMI and high need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamMode {
    Act,
    Icm,
}

/// The contract's rule. `qualifying` is the team's list of qualifying diagnoses (the default,
/// or narrower).
pub fn screen(a: &ScreeningAnswers, qualifying: &[Diagnosis], mode: TeamMode) -> ScreeningResult {
    let mut smi_reasons = Vec::new();
    let diagnosis_ok = qualifying.contains(&a.diagnosis);
    smi_reasons.push(if diagnosis_ok {
        format!("Qualifying diagnosis: {}.", a.diagnosis.words())
    } else {
        format!(
            "{} is not a qualifying diagnosis for this team.",
            capitalize(a.diagnosis.words())
        )
    });
    let duration_ok = a.illness_years >= SMI_MIN_ILLNESS_YEARS;
    smi_reasons.push(if duration_ok {
        format!(
            "Ill for {} (at least {SMI_MIN_ILLNESS_YEARS} years).",
            years(a.illness_years)
        )
    } else {
        format!(
            "Ill for {}, under the {SMI_MIN_ILLNESS_YEARS} years required.",
            years(a.illness_years)
        )
    });
    let impairment_ok = !a.impairments.is_empty();
    smi_reasons.push(if impairment_ok {
        let areas: Vec<&str> = a.impairments.iter().map(|i| i.words()).collect();
        format!("Impaired in {}.", areas.join(", "))
    } else {
        "No impairment in a life area was recorded.".to_string()
    });
    let smi = diagnosis_ok && duration_ok && impairment_ok;

    let mut high_need_reasons = Vec::new();
    if a.hospital_days_24m >= HIGH_NEED_HOSPITAL_DAYS_24M {
        high_need_reasons.push(format!(
            "{} hospital days in 24 months (about {:.1} a month; the line is 4).",
            a.hospital_days_24m,
            f64::from(a.hospital_days_24m) / 24.0
        ));
    }
    if a.psychiatric_admissions_12m >= HIGH_NEED_ADMISSIONS_12M {
        high_need_reasons.push(format!(
            "{} psychiatric admissions in 12 months.",
            a.psychiatric_admissions_12m
        ));
    }
    if a.ed_visits_12m >= HIGH_NEED_ED_VISITS_12M {
        high_need_reasons.push(format!(
            "{} emergency visits in 12 months.",
            a.ed_visits_12m
        ));
    }
    for (yes, words) in [
        (a.homeless, "Homeless."),
        (a.justice_involved, "Involved with the justice system."),
        (a.co_occurring_sud, "Co-occurring substance use."),
        (
            a.not_engaging_office,
            "Not engaging with office-based services.",
        ),
    ] {
        if yes {
            high_need_reasons.push(words.to_string());
        }
    }
    let high_need = !high_need_reasons.is_empty();

    let recommendation = match (smi, high_need, mode) {
        (false, _, _) => Recommendation::ReferElsewhere,
        (true, true, TeamMode::Act) => Recommendation::Act,
        (true, true, TeamMode::Icm) => Recommendation::Icm,
        (true, false, _) => Recommendation::Standard,
    };
    let explanation = match recommendation {
        Recommendation::ReferElsewhere => {
            "Does not meet all three tests of serious mental illness: refer elsewhere.".to_string()
        }
        Recommendation::Standard => "Serious mental illness without a high-need indicator: \
             standard case management may be enough."
            .to_string(),
        Recommendation::Act | Recommendation::Icm => format!(
            "Serious mental illness with {} high-need indicator{}: accept to this {} team.",
            high_need_reasons.len(),
            if high_need_reasons.len() == 1 {
                ""
            } else {
                "s"
            },
            if recommendation == Recommendation::Act {
                "ACT"
            } else {
                "ICM"
            }
        ),
    };
    ScreeningResult {
        smi,
        smi_reasons,
        high_need,
        high_need_reasons,
        recommendation,
        explanation,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Accept,
    Decline,
}

/// Whether a decision goes against the recommendation (and so needs a reason): accepting
/// someone the screen says to refer elsewhere or to standard care, or declining someone it
/// says to accept.
pub fn against_recommendation(decision: Decision, rec: Recommendation) -> bool {
    let accept_recommended = matches!(rec, Recommendation::Act | Recommendation::Icm);
    (decision == Decision::Accept) != accept_recommended
}

fn years(n: u32) -> String {
    if n == 1 {
        "1 year".to_string()
    } else {
        format!("{n} years")
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> ScreeningAnswers {
        ScreeningAnswers {
            diagnosis: Diagnosis::SchizophreniaSpectrum,
            illness_years: 2,
            impairments: vec![Impairment::Housing],
            psychiatric_admissions_12m: 0,
            hospital_days_24m: 0,
            ed_visits_12m: 0,
            homeless: false,
            justice_involved: false,
            co_occurring_sud: false,
            not_engaging_office: false,
        }
    }

    fn run(a: &ScreeningAnswers) -> ScreeningResult {
        screen(a, &Diagnosis::DEFAULT_QUALIFYING, TeamMode::Act)
    }

    #[test]
    fn smi_needs_all_three_tests() {
        assert!(run(&base()).smi);
        assert!(
            !run(&ScreeningAnswers {
                illness_years: 1,
                ..base()
            })
            .smi
        );
        assert!(
            !run(&ScreeningAnswers {
                impairments: vec![],
                ..base()
            })
            .smi
        );
        assert!(
            !run(&ScreeningAnswers {
                diagnosis: Diagnosis::MajorDepression,
                ..base()
            })
            .smi
        );
        for d in Diagnosis::DEFAULT_QUALIFYING {
            assert!(
                run(&ScreeningAnswers {
                    diagnosis: d,
                    ..base()
                })
                .smi,
                "{d:?}"
            );
        }
    }

    #[test]
    fn a_team_may_narrow_the_diagnoses() {
        let a = ScreeningAnswers {
            diagnosis: Diagnosis::Personality,
            ..base()
        };
        let narrow = [Diagnosis::SchizophreniaSpectrum, Diagnosis::Bipolar];
        let r = screen(&a, &narrow, TeamMode::Act);
        assert!(!r.smi);
        assert_eq!(r.recommendation, Recommendation::ReferElsewhere);
        assert!(r.smi_reasons[0].contains("not a qualifying diagnosis"));
    }

    #[test]
    fn high_need_edges() {
        assert!(
            !run(&ScreeningAnswers {
                hospital_days_24m: 95,
                ..base()
            })
            .high_need
        );
        assert!(
            run(&ScreeningAnswers {
                hospital_days_24m: 96,
                ..base()
            })
            .high_need
        );
        assert!(
            !run(&ScreeningAnswers {
                psychiatric_admissions_12m: 1,
                ..base()
            })
            .high_need
        );
        assert!(
            run(&ScreeningAnswers {
                psychiatric_admissions_12m: 2,
                ..base()
            })
            .high_need
        );
        assert!(
            !run(&ScreeningAnswers {
                ed_visits_12m: 3,
                ..base()
            })
            .high_need
        );
        assert!(
            run(&ScreeningAnswers {
                ed_visits_12m: 4,
                ..base()
            })
            .high_need
        );
        assert!(
            run(&ScreeningAnswers {
                homeless: true,
                ..base()
            })
            .high_need
        );
        assert!(
            run(&ScreeningAnswers {
                justice_involved: true,
                ..base()
            })
            .high_need
        );
        assert!(
            run(&ScreeningAnswers {
                co_occurring_sud: true,
                ..base()
            })
            .high_need
        );
        assert!(
            run(&ScreeningAnswers {
                not_engaging_office: true,
                ..base()
            })
            .high_need
        );
    }

    #[test]
    fn recommendation_follows_the_team_mode() {
        let a = ScreeningAnswers {
            homeless: true,
            ..base()
        };
        assert_eq!(run(&a).recommendation, Recommendation::Act);
        let icm = screen(&a, &Diagnosis::DEFAULT_QUALIFYING, TeamMode::Icm);
        assert_eq!(icm.recommendation, Recommendation::Icm);
        assert_eq!(run(&base()).recommendation, Recommendation::Standard);
        let not_smi = ScreeningAnswers {
            illness_years: 0,
            homeless: true,
            ..base()
        };
        assert_eq!(run(&not_smi).recommendation, Recommendation::ReferElsewhere);
    }

    #[test]
    fn reasons_are_in_words() {
        let r = run(&ScreeningAnswers {
            hospital_days_24m: 120,
            homeless: true,
            ..base()
        });
        assert_eq!(r.high_need_reasons.len(), 2);
        assert!(
            r.high_need_reasons[0].contains("120 hospital days"),
            "{:?}",
            r.high_need_reasons
        );
        assert!(
            r.explanation.contains("2 high-need indicators"),
            "{}",
            r.explanation
        );
        assert_eq!(r.smi_reasons.len(), 3);
    }

    #[test]
    fn deciding_against_the_recommendation() {
        use Decision::*;
        assert!(!against_recommendation(Accept, Recommendation::Act));
        assert!(!against_recommendation(Accept, Recommendation::Icm));
        assert!(against_recommendation(Accept, Recommendation::Standard));
        assert!(against_recommendation(
            Accept,
            Recommendation::ReferElsewhere
        ));
        assert!(against_recommendation(Decline, Recommendation::Act));
        assert!(!against_recommendation(
            Decline,
            Recommendation::ReferElsewhere
        ));
        assert!(!against_recommendation(Decline, Recommendation::Standard));
    }
}
