//! Resource lists (`corev1.ResourceList`): quantities by resource name, read from an object's
//! JSON, written back canonically, and combined as apimachinery's quota helpers combine them.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::go_quantity::GoQuantity;

/// Each resource's quantity, by name (in name order, as Go sorts them before printing).
pub(crate) type ResourceList = BTreeMap<String, GoQuantity>;

/// A list as an object holds it (`{"pods": "10", "requests.cpu": 2}`); what does not parse as a
/// quantity is left out (the API server would not have stored it).
pub(crate) fn read(value: Option<&Value>) -> ResourceList {
    value
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, quantity)| {
            let text = match quantity {
                Value::String(text) => text.clone(),
                Value::Number(number) => number.to_string(),
                _ => return None,
            };
            Some((name.clone(), GoQuantity::parse(&text)?))
        })
        .collect()
}

/// A list as JSON, each quantity in its canonical form.
pub(crate) fn to_json(list: &ResourceList) -> Value {
    Value::Object(
        list.iter()
            .map(|(name, quantity)| (name.clone(), Value::String(quantity.to_string())))
            .collect::<Map<String, Value>>(),
    )
}

/// `quota.Add`: every resource of both, summed.
pub(crate) fn add(a: &ResourceList, b: &ResourceList) -> ResourceList {
    let mut sum = a.clone();
    for (name, quantity) in b {
        sum.entry(name.clone())
            .and_modify(|total| total.add(*quantity))
            .or_insert(*quantity);
    }
    sum
}

/// `maxResourceList`: each resource of `other` raised to where it is larger or missing.
pub(crate) fn raise(list: &mut ResourceList, other: &ResourceList) {
    for (name, quantity) in other {
        match list.get(name) {
            Some(current) if quantity.compare(*current).is_le() => {}
            _ => {
                list.insert(name.clone(), *quantity);
            }
        }
    }
}

/// `quota.Mask`: only the named resources.
pub(crate) fn mask<'a>(
    list: &ResourceList,
    names: impl IntoIterator<Item = &'a String>,
) -> ResourceList {
    names
        .into_iter()
        .filter_map(|name| Some((name.clone(), *list.get(name)?)))
        .collect()
}

/// `quota.Equals`: the same resources with the same values (formats aside).
pub(crate) fn equals(a: &ResourceList, b: &ResourceList) -> bool {
    a.len() == b.len()
        && a.iter().all(|(name, quantity)| {
            b.get(name)
                .is_some_and(|other| quantity.compare(*other).is_eq())
        })
}
