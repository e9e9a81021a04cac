"use client";

import { usePathname } from "next/navigation";
import { type ReactNode, useState } from "react";

export interface NavItem {
  href: string;
  label: string;
}

/** The item the page belongs to: the longest href the path starts with ("/" only for itself). */
export function currentItem(items: NavItem[], pathname: string): NavItem | undefined {
  return items
    .filter((item) =>
      item.href === "/" ? pathname === "/" : pathname === item.href || pathname.startsWith(`${item.href}/`),
    )
    .sort((a, b) => b.href.length - a.href.length)[0];
}

/**
 * The sidebar of the portal and of the tenant pages: the current page marked (`aria-current`), and below
 * 760 px a bar with a Menu button that opens and closes the links, so a phone keeps the full width. Links
 * are plain page loads, so the menu is closed again on the page they lead to.
 */
export function SideNav({
  brand,
  items,
  extra,
  children,
}: {
  brand: ReactNode;
  items: NavItem[];
  /** More links under the main ones (another tenant to switch to). */
  extra?: ReactNode;
  /** Who is signed in, and the sign-out control. */
  children?: ReactNode;
}) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const current = currentItem(items, pathname);
  return (
    <aside className="sidebar" data-open={open ? "true" : "false"}>
      <div className="sidebar-head">
        <div className="brand">{brand}</div>
        <button
          type="button"
          className="nav-toggle"
          aria-expanded={open}
          aria-controls="side-nav-links"
          onClick={() => setOpen(!open)}
        >
          {open ? "Close" : "Menu"}
        </button>
      </div>
      <div className="sidebar-body" id="side-nav-links">
        <nav aria-label="Main">
          {items.map((item) => (
            <a
              key={item.href}
              href={item.href}
              aria-current={item === current ? "page" : undefined}
              className={item === current ? "current" : undefined}
            >
              {item.label}
            </a>
          ))}
        </nav>
        {extra}
        {children ? <div className="who">{children}</div> : null}
      </div>
    </aside>
  );
}
