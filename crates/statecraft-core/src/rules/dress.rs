//! An evaluation dressed for people: the stack with the reasons for each service, the requirements
//! that decided, the design review, and the close call.

use super::*;

impl Engine<'_> {
    pub(super) fn dress(
        &self,
        outcome: &Outcome,
        effective: Answers,
        tipping_points: Vec<TippingPoint>,
        full: bool,
    ) -> Advice {
        let k = self.k;
        let recommendation = self.decide(&outcome.scores, &outcome.active);
        let points = self.points(&outcome.stack_points);
        let composition = self.compose_reviewed(outcome, recommendation, &points);
        let mut stack_ranking: Vec<RankedStack> = k
            .stacks
            .iter()
            .zip(points.stacks)
            .map(|(st, p)| RankedStack {
                stack: st.id.as_str().into(),
                points: *p,
            })
            .collect();
        stack_ranking.sort_by_key(|r| std::cmp::Reverse(r.points));
        let fired: Vec<usize> = (0..k.rules.len()).filter(|&r| outcome.fired[r]).collect();
        let fired_rules = fired
            .iter()
            .map(|&r| Arc::clone(&self.explained[r]))
            .collect();
        let mut stack = self.stack_choice(&composition, &fired, &outcome.stack_points);
        let mut unmet = composition.unmet.clone();
        let mut pin_note: Option<Excluded> = None;
        if let Some(AnswerValue::Choice(pin)) = effective.get(catalogue::PIN_STACK)
            && pin != catalogue::COMPOSE
            && let Some(i) = k.stacks.iter().position(|s| &s.id == pin)
        {
            if k.stacks[i].archetype == recommendation {
                let composed = stack.name.clone();
                stack = self.pinned(i, &composed, &outcome.stack_points);
                // the pinned stack answers for every requirement itself
                unmet = self
                    .composer
                    .stack_failures(k, &outcome.active, i)
                    .into_iter()
                    .map(|(r, _)| k.requirements[r].id.clone())
                    .collect();
            } else {
                pin_note = Some(Excluded {
                    id: pin.clone(),
                    why: format!(
                        "{}: pinned, but it is a {} stack and the advice is {}, so the stack is composed instead",
                        k.stacks[i].name, k.stacks[i].archetype, recommendation
                    ),
                    requirement: catalogue::PIN_STACK.to_string(),
                    kind: "stack",
                });
            }
        }
        let requirements = k
            .requirements
            .iter()
            .enumerate()
            .filter(|(i, _)| outcome.active.on[*i])
            // one asked of other archetypes only says nothing about this stack
            .filter(|(_, r)| r.archetypes.is_empty() || r.archetypes.contains(&recommendation))
            .map(|(i, r)| RequirementMet {
                id: r.id.clone(),
                text: r.text.clone(),
                tier: r.tier,
                because: self.composer.because(i).to_vec(),
                met: !unmet.contains(&r.id),
            })
            .collect();
        let mut excluded: Vec<Excluded> = composition
            .excluded
            .iter()
            .map(|e| Excluded {
                id: e.service.clone(),
                why: e.reason.clone(),
                requirement: e.requirement.clone(),
                kind: "service",
            })
            .collect();
        for (i, r, why) in self.composer.reference_failures(k, &outcome.active) {
            excluded.push(Excluded {
                id: k.stacks[i].id.clone(),
                why: format!("{}: {why}", k.stacks[i].name),
                requirement: k.requirements[r].id.clone(),
                kind: "stack",
            });
        }
        excluded.extend(pin_note);
        let decisive = self.decisive(outcome, recommendation, &mut excluded);
        let review = self
            .reviewer
            .review(k, &outcome.slots, &outcome.fired, &tiered(&stack));
        // a live leaning (every frame of the wizard) leaves out what takes more evaluations: the
        // answers that relax an unmet requirement, and the runner-up of a close call
        let unmet = self.unmet(&effective, &unmet, &review, full);
        let conflicts = self.conflicts(&outcome.slots);
        let close_call = full
            .then(|| self.close_call(outcome, recommendation, &stack))
            .flatten();
        let region = self.region(&effective);
        Advice {
            recommendation,
            scores: outcome.scores,
            stack,
            stack_ranking,
            fired_rules,
            tipping_points,
            requirements,
            excluded,
            decisive,
            omitted: composition.omitted.clone(),
            review,
            unmet,
            conflicts,
            close_call,
            region,
            knowledge_version: k.version(),
            answers: effective,
        }
    }

    /// The requirements that rule an archetype out, when the points alone would have chosen it.
    pub(super) fn decisive(
        &self,
        outcome: &Outcome,
        recommendation: Archetype,
        excluded: &mut Vec<Excluded>,
    ) -> Vec<Decisive> {
        let k = self.k;
        let mut out: Vec<Decisive> = Vec::new();
        for a in Archetype::PREFERENCE {
            if a == recommendation || self.composer.feasible(k, &outcome.active, a) {
                continue;
            }
            for r in self.composer.blocking(k, &outcome.active, a) {
                let req = &k.requirements[r];
                excluded.push(Excluded {
                    id: a.as_str().to_string(),
                    why: format!("{a}: {} — nothing {a} can meet it", req.text),
                    requirement: req.id.clone(),
                    kind: "archetype",
                });
                match out.iter_mut().find(|d| d.requirement == req.id) {
                    Some(d) => d.rules_out.push(a),
                    None => out.push(Decisive {
                        requirement: req.id.clone(),
                        text: req.text.clone(),
                        because: self.composer.because(r).to_vec(),
                        rules_out: vec![a],
                        outvoted: outcome.scores.winner(),
                    }),
                }
            }
        }
        out
    }

    /// The stack the composition makes, each service with why it is there and which answers put it.
    pub(super) fn stack_choice(
        &self,
        c: &Composition,
        fired: &[usize],
        points: &[i32],
    ) -> StackChoice {
        let k = self.k;
        let (_, reference) = self.composed_stack(c);
        // the reference stack it equals, or the composition built directly (not rebuilt from its id)
        let stack = match reference {
            Some(i) => k.stacks[i].clone(),
            None => stack_ids::build(k, c.archetype, &c.picks()),
        };
        let n_stacks = k.stacks.len();
        let mut services: Vec<StackService> = Vec::new();
        for chosen in &c.chosen {
            let Some(si) = k.services.iter().position(|s| s.id == chosen.service) else {
                continue;
            };
            let svc = &k.services[si];
            // rules that gave it points, directly or through a reference stack of this archetype
            // that puts it in this tier
            let mut because: Vec<String> = Vec::new();
            for &r in &chosen.requirements {
                because.extend(self.composer.because(r).iter().cloned());
            }
            // the rules that gave it points, directly or through a reference stack of this
            // archetype that puts it in this tier; the strongest of them is the one that put it there
            let mut pushed_by: Vec<(usize, i32)> = Vec::new();
            for &r in fired {
                let gives = self.rule_stacks[r]
                    .iter()
                    .filter(|&&(i, p)| {
                        p > 0
                            && if i >= n_stacks {
                                i - n_stacks == si
                            } else {
                                k.stacks[i].archetype == c.archetype
                                    && self.composer.stack_tiers(i).contains(&(chosen.tier, si))
                            }
                    })
                    .map(|&(_, p)| p)
                    .max();
                if let Some(p) = gives {
                    pushed_by.push((r, p));
                }
            }
            pushed_by.sort_by_key(|&(r, p)| (std::cmp::Reverse(p), r));
            // a rule explains the pick only when it is about this service, or when the tier had a
            // choice the rules made: the only service that can fill a tier is there for the
            // requirement, not for whichever stack rule happened to fire
            let about_it = |r: usize| {
                self.rule_stacks[r]
                    .iter()
                    .any(|&(i, p)| p > 0 && i >= n_stacks && i - n_stacks == si)
            };
            let strongest = pushed_by
                .iter()
                .map(|&(r, _)| r)
                .find(|&r| chosen.candidates > 1 || about_it(r));
            if let Some(r) = strongest {
                because.extend(self.rule_refs[r].iter().cloned());
            }
            if because.is_empty() && chosen.candidates > 1 {
                because.extend(
                    pushed_by
                        .iter()
                        .flat_map(|&(r, _)| self.rule_refs[r].iter().cloned()),
                );
            }
            because.sort();
            because.dedup();
            let why = self.why(chosen, svc, strongest);
            services.push(StackService {
                id: svc.id.clone(),
                name: svc.name.clone(),
                role: svc.role.clone(),
                tier: Some(chosen.tier),
                why,
                because: because.clone(),
                companion: false,
            });
            for companion in svc.capabilities.iter().flat_map(|cap| &cap.companions) {
                if let Some(cs) = k.service(companion) {
                    services.push(StackService {
                        id: cs.id.clone(),
                        name: cs.name.clone(),
                        role: cs.role.clone(),
                        tier: Some(chosen.tier),
                        why: format!("{} runs under it: {}", stack_ids::short_name(svc), cs.role),
                        because: because.clone(),
                        companion: true,
                    });
                }
            }
        }
        // a reference stack may list more than the tiers (its companions): keep its own list's order
        if reference.is_some() {
            let order: Vec<&str> = stack.services.iter().map(|s| s.service.as_str()).collect();
            services.sort_by_key(|s| order.iter().position(|o| *o == s.id).unwrap_or(usize::MAX));
        }
        StackChoice {
            points: reference.map_or_else(|| c.chosen.iter().map(|x| x.score).sum(), |i| points[i]),
            id: stack.id.clone().into(),
            name: stack.name.clone(),
            archetype: c.archetype,
            services,
            composed: reference.is_none(),
            reference: reference.map(|i| k.stacks[i].id.clone().into()),
        }
    }

    /// Reference stack `i`, pinned by the team in place of the composition.
    pub(super) fn pinned(&self, i: usize, composed: &str, points: &[i32]) -> StackChoice {
        let k = self.k;
        let st = &k.stacks[i];
        let tiers = self.composer.stack_tiers(i);
        StackChoice {
            id: st.id.clone().into(),
            name: st.name.clone(),
            archetype: st.archetype,
            points: points[i],
            services: st
                .services
                .iter()
                .map(|ss| StackService {
                    id: ss.service.clone(),
                    name: k
                        .service(&ss.service)
                        .map_or_else(|| ss.service.clone(), |sv| sv.name.clone()),
                    role: ss.role.clone(),
                    tier: tiers
                        .iter()
                        .find(|(_, s)| k.services[*s].id == ss.service)
                        .map(|(t, _)| *t),
                    why: format!(
                        "Pinned by the team with the reference stack {} (composed from the answers it would be {composed}). {}.",
                        st.name,
                        ss.role.trim_end_matches('.')
                    ),
                    because: vec![catalogue::PIN_STACK.to_string()],
                    companion: false,
                })
                .chain(
                    // the pattern its topology stands for (sessions in the servers' memory, in
                    // the client's token), which the reference stack does not list as a service:
                    // the review checks it as it checks a composed stack's
                    tiers
                        .iter()
                        .map(|&(t, s)| (t, &k.services[s]))
                        .filter(|(_, sv)| {
                            sv.pattern && !st.services.iter().any(|ss| ss.service == sv.id)
                        })
                        .map(|(t, sv)| StackService {
                            id: sv.id.clone(),
                            name: sv.name.clone(),
                            role: sv.role.clone(),
                            tier: Some(t),
                            why: format!(
                                "Pinned by the team with the reference stack {}, whose design keeps the session here (composed from the answers it would be {composed}). {}.",
                                st.name,
                                sv.role.trim_end_matches('.')
                            ),
                            because: vec![catalogue::PIN_STACK.to_string()],
                            companion: false,
                        }),
                )
                .collect(),
            composed: false,
            reference: Some(st.id.clone().into()),
        }
    }

    /// One sentence: why the tier is there (the requirement that calls for it), what shaped the
    /// choice (the requirements it meets, or the rule that favours it), and the service's part.
    pub(super) fn why(
        &self,
        chosen: &compose::Chosen,
        svc: &crate::knowledge::Service,
        strongest: Option<usize>,
    ) -> String {
        let k = self.k;
        let reqs: Vec<&crate::knowledge::Requirement> = chosen
            .requirements
            .iter()
            .map(|&r| &k.requirements[r])
            .collect();
        let tier = chosen.tier.label();
        let mut out = match reqs.iter().find(|r| r.needs.present) {
            Some(p) => format!(
                "In the stack because {}",
                compose::lower_first(p.text.trim_end_matches('.'))
            ),
            None => format!("The {tier}"),
        };
        let shaping: Vec<String> = reqs
            .iter()
            .filter(|r| !r.needs.present && !r.needs.absent)
            .map(|r| compose::lower_first(r.text.trim_end_matches('.')))
            .collect();
        let name = stack_ids::short_name(svc);
        if !shaping.is_empty() {
            out += &format!("; as the {tier}, {name} meets: {}", shaping.join("; "));
        }
        if let Some(r) = strongest {
            out += &format!(
                "; the rules favour it: {}",
                compose::lower_first(k.rules[r].rationale.trim_end_matches('.'))
            );
        }
        format!("{out}. {}.", svc.role.trim_end_matches('.'))
    }
}
