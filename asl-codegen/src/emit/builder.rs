//! The handler builder of a generated machine. Up to [`MAX_TYPED_SLOTS`] Task states, each is a
//! type parameter, so `build()` compiles only when every Task state has a handler and the error
//! names the one that has none. Larger machines (generated ones, mostly) get a builder whose
//! `build()` needs a fallback handler instead, keeping the generated code linear in size.

use proc_macro2::{Ident, Literal, Span as TokenSpan, TokenStream};
use quote::{format_ident, quote};

use super::EmitOptions;
use crate::layout::{MachineLayout, Slot};
use crate::model::StateKind;
use asl_lang::resource::{Service, served as served_by};

/// The most Task states whose handlers are checked one by one at compile time.
pub const MAX_TYPED_SLOTS: usize = 64;

fn typed(n: usize) -> bool {
    n <= MAX_TYPED_SLOTS
}

/// The builder's type arguments when nothing is set yet.
pub fn initial_markers(n: usize, rt: &TokenStream) -> TokenStream {
    if typed(n) {
        let missing = (0..n).map(|_| quote!(#rt::handler::Missing));
        quote!(#(#missing),*)
    } else {
        quote!(#rt::handler::Missing)
    }
}

fn setter_doc(slot: &Slot<'_>) -> String {
    let resource = resource(slot);
    format!(
        " Sets the handler of the Task state `{}` (resource `{resource}`, line {} of the definition).",
        slot.state.name, slot.line
    )
}

/// The resource of the Task state in `slot`.
fn resource<'a>(slot: &Slot<'a>) -> &'a str {
    match &slot.state.kind {
        StateKind::Task(t) => t.resource.as_ref().map_or("", |r| r.value.as_str()),
        _ => "",
    }
}

/// The slots whose resources ready-made service handlers serve, with their services.
fn served<'a>(plan: &'a MachineLayout<'_>) -> Vec<(usize, &'a str, Service)> {
    plan.slots
        .iter()
        .enumerate()
        .filter_map(|(i, slot)| {
            let r = resource(slot);
            served_by(r).map(|s| (i, r, s))
        })
        .collect()
}

/// Fills the served slots from `provider` (statements of `with_services`).
fn fill_served(served: &[(usize, &str, Service)]) -> TokenStream {
    let fills = served.iter().map(|(i, resource, _)| {
        let index = Literal::usize_unsuffixed(*i);
        quote! {
            if self.slots[#index].is_none() {
                self.slots[#index] = provider.handler(#resource);
            }
        }
    });
    quote!(#(#fills)*)
}

fn marker(rt: &TokenStream, service: Service) -> TokenStream {
    let name = format_ident!("{}", service.marker());
    quote!(#rt::integration::service::#name)
}

/// The builder type and its methods.
pub fn builder(plan: &MachineLayout<'_>, options: &EmitOptions) -> TokenStream {
    if typed(plan.slots.len()) {
        typed_builder(plan, options)
    } else {
        fallback_builder(plan, options)
    }
}

fn build_body(options: &EmitOptions) -> TokenStream {
    let rt = &options.runtime;
    let (_, wrap) = options.built();
    let ty = &options.type_name;
    let type_name = ty.to_string();
    quote! {
        let fallback = self.fallback;
        let handlers = self.slots.into_iter().map(|slot| slot.or_else(|| fallback.clone()).unwrap_or_else(#rt::__private::unreachable_handler)).collect();
        let machine = #rt::Machine::from_parts(#type_name, &#ty::DEFINITION, #ty::plan(), handlers);
        #wrap
    }
}

fn typed_builder(plan: &MachineLayout<'_>, options: &EmitOptions) -> TokenStream {
    let rt = &options.runtime;
    let ty = &options.type_name;
    let vis = &options.visibility;
    let type_name = ty.to_string();
    let builder = format_ident!("{}Builder", ty);
    let n = plan.slots.len();
    let params: Vec<Ident> = (0..n).map(|i| format_ident!("H{}", i)).collect();
    let marker_traits: Vec<Ident> = (0..n)
        .map(|i| format_ident!("__{}Handler{}", ty, i))
        .collect();
    let setters = plan.slots.iter().enumerate().map(|(i, slot)| {
        let method = Ident::new(&slot.method, TokenSpan::call_site());
        let doc = setter_doc(slot);
        let out = params.iter().enumerate().map(|(j, p)| if i == j { quote!(#rt::handler::Set) } else { quote!(#p) });
        let index = Literal::usize_unsuffixed(i);
        quote! {
            #[doc = #doc]
            pub fn #method<A>(mut self, handler: impl #rt::Handler<A>) -> #builder<#(#out),*> {
                self.slots[#index] = ::core::option::Option::Some(#rt::Handler::into_box(handler));
                #builder { slots: self.slots, fallback: self.fallback, _marker: ::core::marker::PhantomData }
            }
        }
    });
    let traits = plan.slots.iter().zip(&marker_traits).map(|(slot, tr)| {
        let state = &slot.state.name;
        let message = format!("the Task state `{state}` of `{type_name}` has no handler");
        let label = format!("`{state}` needs a handler");
        let note = format!(
            "give it one with `.{}(handler)`, or give every unhandled Task state one with `.fallback(handler)`, before `.build()`",
            slot.method
        );
        quote! {
            #[doc(hidden)]
            #[allow(non_camel_case_types)]
            #[diagnostic::on_unimplemented(message = #message, label = #label, note = #note)]
            #vis trait #tr {}
            impl #tr for #rt::handler::Set {}
        }
    });
    let filled = params
        .iter()
        .map(|p| quote!(<#p as #rt::handler::Fill>::Filled));
    let fill_bounds = params.iter().map(|p| quote!(#p: #rt::handler::Fill));
    let build_bounds = params
        .iter()
        .zip(&marker_traits)
        .map(|(p, t)| quote!(#p: #t));
    let doc = format!(
        " Collects one handler per Task state of [`{type_name}`]; `build()` compiles only when every Task state has one."
    );
    let body = build_body(options);
    let (built, _) = options.built();
    let served = served(plan);
    let fill = fill_served(&served);
    let mut services: Vec<Service> = served.iter().map(|(_, _, s)| *s).collect();
    services.dedup();
    services.sort_by_key(|s| s.marker());
    services.dedup();
    let serves_bounds = services.iter().map(|s| {
        let m = marker(rt, *s);
        quote!(__P: #rt::integration::Serves<#m>)
    });
    let served_out =
        params
            .iter()
            .enumerate()
            .map(|(i, p)| match served.iter().find(|(j, _, _)| *j == i) {
                Some((_, _, s)) => {
                    let m = marker(rt, *s);
                    quote!(<__P as #rt::integration::Serves<#m>>::Slot<#p>)
                }
                None => quote!(#p),
            });
    quote! {
        #(#traits)*

        impl<__P: #rt::integration::Services, #(#params),*> #rt::integration::WithServices<__P> for #builder<#(#params),*>
        where #(#serves_bounds),*
        {
            type Output = #builder<#(#served_out),*>;

            #[allow(unused_mut, unused_variables)]
            fn with_services(mut self, provider: __P) -> Self::Output {
                #fill
                #builder { slots: self.slots, fallback: self.fallback, _marker: ::core::marker::PhantomData }
            }
        }

        #[doc = #doc]
        #[must_use]
        #vis struct #builder<#(#params = #rt::handler::Missing),*> {
            slots: ::std::vec::Vec<::core::option::Option<#rt::BoxHandler>>,
            fallback: ::core::option::Option<#rt::BoxHandler>,
            _marker: ::core::marker::PhantomData<fn() -> (#(#params,)*)>,
        }

        impl<#(#params),*> #builder<#(#params),*> {
            #(#setters)*

            /// A handler for every Task state that has none of its own; it can route on
            /// `TaskContext::resource` or `TaskContext::state_name`.
            pub fn fallback<A>(self, handler: impl #rt::Handler<A>) -> #builder<#(#filled),*>
            where #(#fill_bounds),*
            {
                #builder { slots: self.slots, fallback: ::core::option::Option::Some(#rt::Handler::into_box(handler)), _marker: ::core::marker::PhantomData }
            }

            /// The runnable machine.
            pub fn build(self) -> #built
            where #(#build_bounds),*
            {
                #body
            }
        }
    }
}

fn fallback_builder(plan: &MachineLayout<'_>, options: &EmitOptions) -> TokenStream {
    let rt = &options.runtime;
    let ty = &options.type_name;
    let vis = &options.visibility;
    let type_name = ty.to_string();
    let builder = format_ident!("{}Builder", ty);
    let n = plan.slots.len();
    let needs = format_ident!("__{}NeedsFallback", ty);
    let setters = plan.slots.iter().enumerate().map(|(i, slot)| {
        let method = Ident::new(&slot.method, TokenSpan::call_site());
        let doc = setter_doc(slot);
        let index = Literal::usize_unsuffixed(i);
        quote! {
            #[doc = #doc]
            pub fn #method<A>(mut self, handler: impl #rt::Handler<A>) -> Self {
                self.slots[#index] = ::core::option::Option::Some(#rt::Handler::into_box(handler));
                self
            }
        }
    });
    let message = format!(
        "`{type_name}` has {n} Task states, too many to check one by one: give it a `.fallback(handler)`"
    );
    let doc = format!(
        " Collects handlers for the {n} Task states of [`{type_name}`]; with more than {MAX_TYPED_SLOTS}, `build()` needs a fallback for those without their own."
    );
    let body = build_body(options);
    let (built, _) = options.built();
    let fill = fill_served(&served(plan));
    quote! {
        impl<__P: #rt::integration::Services, F> #rt::integration::WithServices<__P> for #builder<F> {
            type Output = Self;

            fn with_services(mut self, provider: __P) -> Self {
                #fill
                self
            }
        }

        #[doc(hidden)]
        #[diagnostic::on_unimplemented(message = #message, label = "no fallback handler", note = "the fallback handler receives TaskContext::state_name and TaskContext::resource to route on")]
        #vis trait #needs {}
        impl #needs for #rt::handler::Set {}

        #[doc = #doc]
        #[must_use]
        #vis struct #builder<F = #rt::handler::Missing> {
            slots: ::std::vec::Vec<::core::option::Option<#rt::BoxHandler>>,
            fallback: ::core::option::Option<#rt::BoxHandler>,
            _marker: ::core::marker::PhantomData<fn() -> F>,
        }

        impl<F> #builder<F> {
            #(#setters)*

            /// A handler for every Task state that has none of its own; it can route on
            /// `TaskContext::resource` or `TaskContext::state_name`.
            pub fn fallback<A>(self, handler: impl #rt::Handler<A>) -> #builder<#rt::handler::Set> {
                #builder { slots: self.slots, fallback: ::core::option::Option::Some(#rt::Handler::into_box(handler)), _marker: ::core::marker::PhantomData }
            }

            /// The runnable machine.
            pub fn build(self) -> #built
            where F: #needs
            {
                #body
            }
        }
    }
}
