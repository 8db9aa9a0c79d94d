//! Upgrade events.

use salus_sdk::Event;

use crate::Plan;

pub fn scheduled(plan: &Plan) -> Event {
    Event::new("software_upgrade").attr("name", &plan.name).attr("height", plan.height)
}

pub fn cancelled(plan: &Plan) -> Event {
    Event::new("cancel_software_upgrade").attr("name", &plan.name).attr("height", plan.height)
}

pub fn applied(plan: &Plan) -> Event {
    Event::new("upgrade").attr("name", &plan.name).attr("height", plan.height)
}
